"""The models behind each chapter; each module takes a PreparedPackage (or its tables) and returns results."""
