import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';

// The machine running the suite may be busy: wait for the UI generously (no timing is asserted).
configure({ asyncUtilTimeout: 10_000 });
