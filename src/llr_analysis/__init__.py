"""llr_analysis: public-health analytics for the places of an English integrated care system (ICS).

Data flows one way: sources -> data/raw (locked) -> validated tables in
data/processed -> parameterised notebooks executed per place -> static site.
"""

__version__ = "0.1.0"
