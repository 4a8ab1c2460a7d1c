// The bench's 0.3.0 TypeScript codec filter: passes every packet, in the host's codec store (declared at the
// top level, as the kit asks of 0.3.0 filters), against the 0.2.3 one (ts_pass) and no filter at all.
import { codecFilter, definePlugin, filterOutput } from '../../../plugins/kit';

codecFilter({ id: 'ts_pass_030' }, () => ({ filter: () => filterOutput.pass() }));

export default definePlugin({ id: 'ts_pass_030', name: 'TS pass 0.3', version: '1.0.0' });
