import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Space } from 'antd';
import { useT } from '../i18n';

interface Props {
  onEdit: () => void;
  onDelete: () => void;
  /** The question asked before deleting, already translated. */
  confirmText: string;
  /** Label of the delete action (默认「删除」 / Delete). */
  deleteLabel?: string;
  editTestId?: string;
  deleteTestId?: string;
}

/** The edit and confirmed-delete buttons of a table row. */
export function RowActions({ onEdit, onDelete, confirmText, deleteLabel, editTestId, deleteTestId }: Props) {
  const { t } = useT();
  const label = deleteLabel ?? t('common.delete');
  return (
    <Space size={0}>
      <Button
        type="text"
        size="small"
        icon={<EditOutlined />}
        aria-label={t('common.edit')}
        onClick={onEdit}
        data-testid={editTestId}
      />
      <Popconfirm
        title={confirmText}
        okText={label}
        cancelText={t('common.cancel')}
        okButtonProps={{ danger: true }}
        onConfirm={onDelete}
      >
        <Button
          type="text"
          size="small"
          danger
          icon={<DeleteOutlined />}
          aria-label={label}
          data-testid={deleteTestId}
        />
      </Popconfirm>
    </Space>
  );
}
