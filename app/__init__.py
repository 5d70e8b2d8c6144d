"""Hold a conversation about the report, compose cited answers, and show them (CLI, Gradio)."""
