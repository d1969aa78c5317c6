import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import type { ChartOption } from './EChart';

export type { ChartOption } from './EChart';

// ECharts is large: it loads with the first chart, not with the pages that may show one.
const EChart = lazy(() => import('./EChart').then((m) => ({ default: m.EChart })));

interface Props {
  option: ChartOption;
  height?: number;
  'data-testid'?: string;
}

export function LazyEChart({ option, height = 320, 'data-testid': testId }: Props) {
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height }} />}>
      <EChart option={option} height={height} data-testid={testId} />
    </Suspense>
  );
}
