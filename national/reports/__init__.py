"""The national node's reports: the regions' monthly filings, the compiled national report, dashboards."""
