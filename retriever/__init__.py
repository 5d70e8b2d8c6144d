"""Turn a question into ranked passages of an index, with evidence and an answerability flag."""
