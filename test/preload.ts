// Test preload: set in the next steps.
