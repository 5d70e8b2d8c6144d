"""Turn UN reports into numbered passages, and passages into a searchable index on disk."""
