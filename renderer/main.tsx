import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
// Applies the stored or OS theme before the first paint.
import './state/theme';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
