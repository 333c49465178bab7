"""Monthly reports (月报) and dashboards: counts kept by SQL, report figures, PDF and XLSX, the monthly filing.

The national node builds on this package (national/reports/); nothing here imports national.
"""
