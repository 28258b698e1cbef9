"""资格取消 and the 3-year ban (§六（二）), and bans recorded or lifted by hand."""
