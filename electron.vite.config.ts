// electron-vite: main (ESM), preload (CommonJS: a sandboxed preload cannot be an ES module), renderer (React).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {},
  preload: {
    build: { rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: 'src/renderer',
    base: './',
    plugins: [react()],
    build: { minify: true },
  },
});
