// Advice: see README
