"""绩效评价 (§六（二）): experts' scores or a third party's report, the grade of a year, and who is recommended."""
