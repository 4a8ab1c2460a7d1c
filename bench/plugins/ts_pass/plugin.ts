// The bench's TypeScript codec filter: passes every packet (the cost of a filter call through the kit and
// QuickJS, against the WAT fixture `codec-pass` and no filter at all).
import { codecFilter, definePlugin, filterOutput } from '../../../plugins/kit/v023';

export default definePlugin({
  id: 'ts_pass',
  name: 'TS pass',
  version: '1.0.0',
  enable() {
    codecFilter({ id: 'ts_pass' }, () => ({ filter: () => filterOutput.pass() }));
  },
});
