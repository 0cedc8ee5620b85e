//! Exporters (see issue: export).
