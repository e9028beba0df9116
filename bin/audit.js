#!/usr/bin/env node
// Thin launcher so the bin path stays stable whatever the build layout is.
import '../dist/src/cli/index.js';
