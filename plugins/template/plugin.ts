// A starting point: copy this folder to plugins/<your-plugin>/, change the id and names, then
// `npm run plugins:build plugins/<your-plugin>` and drop plugins/build/<your-plugin>.wasm into the panel.
import { info } from 'infrarust:plugin/log@0.3.0';
import { command, definePlugin, on } from '../kit';

export default definePlugin({
  id: 'my_plugin',
  name: 'My Plugin',
  version: '0.1.0',
  authors: ['You'],
  description: 'Logs who joins, and answers /hello on the console.',
  enable() {
    on('post-login', (event) => info(`${event.profile.username} joined`));
    command('hello', (args) => info(`hello, ${args.join(' ') || 'world'}`), { description: 'Says hello' });
  },
});
