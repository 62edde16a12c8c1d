"""Documents: plan, templates, rendering, Word comments, workbook, PDF, text extraction."""
