"""Sentences every app says the same way (each app keeps its own in its phrases.py). Bottom layer."""

# A date that cannot be read, beside its field: in the 申请书, the lists' and queues' filters, the audit log's search,
# the grading form. What the browser's date picker sends is always valid; this is for a date typed by hand or a
# tampered query string.
DATE_INVALID = "请按“年-月-日”填写日期，如 2026-01-31。"
