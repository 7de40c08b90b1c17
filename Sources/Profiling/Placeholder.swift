// Profiling: see README
