UPDATE rdagent_dataset SET is_default = false WHERE is_default
