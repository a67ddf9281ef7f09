import { Route, Routes } from 'react-router-dom';
import { ContestDetailPage } from './ContestDetailPage';
import { ContestListPage } from './ContestListPage';

/** The Contests page: the list at /contests, one contest at /contests/:slug. */
export function ContestsRoot() {
  return (
    <Routes>
      <Route path="/" element={<ContestListPage />} />
      <Route path="/:slug/*" element={<ContestDetailPage />} />
    </Routes>
  );
}
