import { Tag, Tooltip } from 'antd';

interface Props {
  tags: readonly string[] | null | undefined;
  /** Show at most this many; the rest go into a "+n" tag with a tooltip. */
  max?: number;
}

export function TagList({ tags, max = Number.POSITIVE_INFINITY }: Props) {
  if (!tags || tags.length === 0) return null;
  const shown = tags.slice(0, max);
  const rest = tags.slice(max);
  return (
    <>
      {shown.map((tag) => (
        <Tag key={tag} color="blue">
          {tag}
        </Tag>
      ))}
      {rest.length > 0 && (
        <Tooltip title={rest.join('、')}>
          <Tag>+{rest.length}</Tag>
        </Tooltip>
      )}
    </>
  );
}
