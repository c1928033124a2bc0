import { Menu } from 'lucide-react';
import { useUi } from '../../state/ui';

/** Below ~1000 px the sidebar is a drawer (styles.css): this opens it; it closes on navigation, Escape or outside. */
export function MenuButton() {
  const navOpen = useUi((s) => s.navOpen);
  const setNavOpen = useUi((s) => s.setNavOpen);
  return (
    <button
      type="button"
      id="menu-button"
      className="icon-btn menu-btn"
      aria-label="Navigation"
      title="Navigation"
      aria-expanded={navOpen}
      aria-controls="sidebar"
      onClick={() => setNavOpen(!navOpen)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && navOpen) {
          e.stopPropagation();
          setNavOpen(false);
        }
      }}
    >
      <Menu size={20} aria-hidden />
    </button>
  );
}
