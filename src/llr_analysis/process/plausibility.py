"""The limits of the plausibility rules: the bounds every published figure must lie within.

The rules themselves are pandera checks in each processed table's schema, next to the step that
makes the table (built with :mod:`llr_analysis.process.checks`); the figures they use are configured
here, once. A figure that breaks a rule stops processing with a
:class:`~llr_analysis.errors.DataValidationError` naming the file, the column, the line (when known)
and the area code -- e.g. a Fingertips screening coverage of 176.9%.
"""

from __future__ import annotations

#: Ranks and counts of LSOAs in England by IoD edition (MHCLG; also deprivation.EDITIONS).
IOD_LSOAS = {"IoD2025": 33755, "IoD2019": 32844}
#: The IoD indices whose score is a rate (0..1).
RATE_INDICES = ("income", "employment", "idaci", "idaopi")

# Human limits for life expectancy: at birth 40-100 years, at 65 5-40 years; healthy and
# disability-free life expectancy at birth 30-100 (they are 50-75 in England's areas).
LE_BIRTH = (40, 100)
LE_65 = (5, 40)
HLE_BIRTH = (30, 100)
PERCENT = (0, 100)
#: The slope index of inequality in life expectancy (years).
SII = (-15, 30)
#: Publisher rounding accepted between a percentage and its count/denominator (percentage points).
RATIO_TOLERANCE = 0.1
#: Single years of age in the population estimates (90 stands for "90 and over").
AGE = (0, 90)
