// Placeholder so the library has a translation unit until the explorer issue fills it.
