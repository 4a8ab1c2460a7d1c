// A codec filter made inside `enable`, which the codec store (never enabled) could not reach. Test plugin for
// test/kit-codec-filter.test.ts: the kit refuses it, so the plugin fails with the reason.
import { codecFilter, definePlugin } from '../../../plugins/kit';

export default definePlugin({
  id: 'late_filter',
  name: 'Late filter',
  version: '0.1.0',
  enable() {
    codecFilter({ id: 'late' }, () => undefined);
  },
});
