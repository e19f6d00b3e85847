"""Analysis: paired comparisons with confidence intervals, figures."""
