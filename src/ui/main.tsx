// Composition root of the app: the only ui module allowed to wire the worker layer.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main>
      <h1>Flotilla</h1>
      <p>An interactive, deterministic Raft cluster visualizer. The cluster view is being built.</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
