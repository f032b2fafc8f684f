"""llr_analysis: public-health analytics for Leicester, Leicestershire and Rutland.

Data flows one way: sources -> data/raw (locked) -> validated tables in
data/processed -> parameterised notebooks executed per place -> static site.
"""

__version__ = "0.1.0"
