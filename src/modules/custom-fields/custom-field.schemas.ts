import { z } from 'zod';

export const customFieldTypes = [
  'text',
  'number',
  'date',
  'single_select',
  'multi_select',
  'boolean',
] as const;

const optionSchema = z.object({
  value: z.string().trim().min(1).max(100),
  labelZh: z.string().trim().min(1).max(100),
  labelEn: z.string().trim().min(1).max(100),
});

export const createCustomFieldSchema = z
  .object({
    key: z
      .string()
      .regex(
        /^[a-z][a-z0-9_]{0,62}$/,
        '须以小写字母开头，只含小写字母、数字和下划线 / Lower-case letters, digits and _ only, starting with a letter',
      ),
    type: z.enum(customFieldTypes),
    labelZh: z.string().trim().min(1).max(100),
    labelEn: z.string().trim().min(1).max(100),
    options: z.array(optionSchema).max(200).default([]),
    required: z.boolean().default(false),
    personal: z
      .boolean()
      .default(false)
      .describe('Personal data: stored encrypted, shown masked, not filterable'),
    position: z.number().int().min(0).max(10_000).default(0),
  })
  .superRefine(checkOptions);

export const updateCustomFieldSchema = z.object({
  labelZh: z.string().trim().min(1).max(100).optional(),
  labelEn: z.string().trim().min(1).max(100).optional(),
  options: z.array(optionSchema).max(200).optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

function checkOptions(value: { type: string; options: { value: string }[] }, ctx: z.RefinementCtx) {
  const isSelect = value.type === 'single_select' || value.type === 'multi_select';
  if (isSelect && value.options.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['options'],
      message: '选择类字段至少需要一个选项 / A select field needs at least one option',
    });
  }
  if (!isSelect && value.options.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['options'],
      message: '只有选择类字段可以有选项 / Only select fields have options',
    });
  }
  const seen = new Set<string>();
  for (const [index, option] of value.options.entries()) {
    if (seen.has(option.value)) {
      ctx.addIssue({
        code: 'custom',
        path: ['options', index, 'value'],
        message: '选项值重复 / Duplicate option value',
      });
    }
    seen.add(option.value);
  }
}

export const customFieldSchema = z.object({
  key: z.string(),
  type: z.enum(customFieldTypes),
  labelZh: z.string(),
  labelEn: z.string(),
  options: z.array(optionSchema),
  required: z.boolean(),
  personal: z.boolean(),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomField = z.infer<typeof customFieldSchema>;
