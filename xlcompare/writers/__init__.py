"""Writers: turn plain results into what people read (terminal tables, JSON, Excel, prose)."""
