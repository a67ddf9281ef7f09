import { Route, Routes } from 'react-router-dom';
import { Content } from '@backstage/core-components';
import { InstanceDetail } from './InstanceDetail';
import { InstancesOverview } from './InstancesOverview';

/** /instances: the overview; /instances/:id: one instance. */
export function InstancesPage() {
  return (
    <Content>
      <Routes>
        <Route path="/" element={<InstancesOverview />} />
        <Route path="/:id" element={<InstanceDetail />} />
      </Routes>
    </Content>
  );
}
