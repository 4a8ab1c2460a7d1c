#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the command works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../src/main/cli/cli.ts');
