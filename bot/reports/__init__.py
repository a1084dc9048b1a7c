"""Reports: the Laporan Bulanan (XLSX), its measures, and the days-vs-limit chart (PNG)."""
