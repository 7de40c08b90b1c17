// Compile: see README
