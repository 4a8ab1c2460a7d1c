// Boots the panel on whichever transport this page has (Electron preload or headless WebSocket).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createControlClient } from './api/client';
import { pickTransport } from './api/transport';
import { App } from './components/App';
import { connectStores } from './stores/connect-stores';
import { createPanel, PanelProvider } from './stores/panel-context';
import './styles.css';
import './proxy-pages.css';
import './gallery.css';
import './network.css';

const transport = pickTransport(window);
const panel = createPanel(createControlClient(transport), transport.deployFile);
connectStores(transport, panel.api, panel);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PanelProvider panel={panel}>
      <App />
    </PanelProvider>
  </StrictMode>,
);
