"""The read-only API for BI (Power BI, Excel): JSON and CSV under /api/v1/, keys as Bearer tokens."""
