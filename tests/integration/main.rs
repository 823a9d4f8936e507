mod analyze;
mod collector_config;
