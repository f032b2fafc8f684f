"""The life expectancy pages: sections (:mod:`.sections`), sentences (:mod:`.text`), charts and display
tables (:mod:`.charts`), the opening with the OHID Fingertips API figures (:mod:`.fingertips`) and the
localities tabset (:mod:`.localities`)."""
