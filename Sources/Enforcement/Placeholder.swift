// Enforcement: see README
