// Every scenario, in the order both specs run them.
import { firstStart } from './01-first-start';
import { dragPluginIn } from './02-drag-plugin-in';
import { grantCapability } from './03-grant-capability';
import { switchOff } from './04-switch-off';
import { handEdits } from './05-hand-edits';
import { refusedDrops } from './06-refused-drops';
import { clientPingJoin } from './07-client-ping-join';
import { cpuSpin } from './08-cpu-spin';
import { brokenConfig } from './09-broken-config';
import { exampleGallery } from './10-example-gallery';
import { proxyAddRoute } from './proxy-add-route';
import { networkPage } from './network-page';
import { proxyBanPlayer } from './proxy-ban-player';
import { refusedPluginFiles } from './refused-plugin-files';
import { proxyMovePlayer } from './proxy-move-player';
import { proxyLimbo } from './proxy-limbo';
import { proxyManagedServer } from './proxy-managed-server';
import type { Scenario } from './scenario';

export const scenarios: Scenario[] = [
  firstStart,
  dragPluginIn,
  grantCapability,
  switchOff,
  handEdits,
  refusedDrops,
  clientPingJoin,
  cpuSpin,
  brokenConfig,
  exampleGallery,
  proxyAddRoute,
  proxyBanPlayer,
  refusedPluginFiles,
  proxyMovePlayer,
  networkPage,
  proxyLimbo,
  proxyManagedServer,
];
