/**
 * The tables a store pushes to the group (SPEC §15, §16), in push order, with the columns this pitstop
 * sends: the store's own columns (SPEC §7 and later migrations), integers as bigint and text as text, so
 * instants stay the UTC ISO-8601 text and days the YYYY-MM-DD text they are in the store. Each is keyed
 * in the group by (store, id). The outbox's lease columns (which process holds a message now) stay home.
 */
export type GroupColumnType = 'bigint' | 'text';

export interface GroupTable {
  name: string;
  columns: ReadonlyArray<readonly [string, GroupColumnType]>;
}

export const GROUP_TABLES: readonly GroupTable[] = [
  { name: 'customers', columns: [['id', 'bigint'], ['name', 'text'], ['phone', 'text'], ['kind', 'text'], ['company', 'text'], ['address', 'text'], ['note', 'text'], ['do_not_contact', 'bigint'], ['created_at', 'text'], ['no_calls', 'bigint'], ['no_messages', 'bigint'], ['phone_bad_at', 'text']] },
  { name: 'vehicles', columns: [['id', 'bigint'], ['customer_id', 'bigint'], ['plate', 'text'], ['vin', 'text'], ['make', 'text'], ['model', 'text'], ['color', 'text'], ['year', 'bigint'], ['purchased_on', 'text'], ['initial_km', 'bigint'], ['last_service_on', 'text'], ['last_service_km', 'bigint'], ['interval_km', 'bigint'], ['interval_months', 'bigint'], ['active', 'bigint'], ['created_at', 'text'], ['added_on', 'text'], ['last_maintenance_at', 'text'], ['last_maintenance_km', 'bigint']] },
  { name: 'staff', columns: [['id', 'bigint'], ['name', 'text'], ['role', 'text'], ['active', 'bigint']] },
  { name: 'bookings', columns: [['id', 'bigint'], ['vehicle_id', 'bigint'], ['customer_id', 'bigint'], ['scheduled_at', 'text'], ['ends_at', 'text'], ['minutes', 'bigint'], ['service', 'text'], ['complaint', 'text'], ['advisor_id', 'bigint'], ['source', 'text'], ['estimate_cents', 'bigint'], ['parts_value_cents', 'bigint'], ['deposit_cents', 'bigint'], ['status', 'text'], ['order_id', 'bigint'], ['cancel_reason', 'text'], ['created_at', 'text']] },
  { name: 'orders', columns: [['id', 'bigint'], ['number', 'text'], ['vehicle_id', 'bigint'], ['customer_id', 'bigint'], ['booking_id', 'bigint'], ['category', 'text'], ['status', 'text'], ['opened_at', 'text'], ['mileage_in', 'bigint'], ['fuel', 'text'], ['belongings', 'text'], ['damage', 'text'], ['key_tag', 'text'], ['complaint', 'text'], ['advisor_id', 'bigint'], ['technician_id', 'bigint'], ['inspector_id', 'bigint'], ['promised_at', 'text'], ['call_window', 'text'], ['repeat_of_order_id', 'bigint'], ['estimate_cents', 'bigint'], ['discount_cents', 'bigint'], ['labor_cents', 'bigint'], ['parts_cents', 'bigint'], ['fees_cents', 'bigint'], ['total_cents', 'bigint'], ['paid_cents', 'bigint'], ['discount_by_id', 'bigint'], ['approved_at', 'text'], ['started_at', 'text'], ['ready_at', 'text'], ['qc_failures', 'bigint'], ['road_test', 'bigint'], ['delivered_at', 'text'], ['cancelled_at', 'text'], ['cancel_reason', 'text'], ['first_delivered_at', 'text'], ['reopened_at', 'text']] },
  { name: 'order_lines', columns: [['id', 'bigint'], ['order_id', 'bigint'], ['line_no', 'bigint'], ['kind', 'text'], ['description', 'text'], ['part_no', 'text'], ['qty_milli', 'bigint'], ['hours_centi', 'bigint'], ['unit_price_cents', 'bigint'], ['amount_cents', 'bigint'], ['grade', 'text'], ['customer_supplied', 'bigint'], ['status', 'text'], ['additional', 'bigint'], ['decline_reason', 'text'], ['approved_at', 'text'], ['created_at', 'text'], ['removed_at', 'text']] },
  { name: 'payments', columns: [['id', 'bigint'], ['order_id', 'bigint'], ['amount_cents', 'bigint'], ['method', 'text'], ['paid_at', 'text'], ['reason', 'text']] },
  { name: 'order_adjustments', columns: [['id', 'bigint'], ['order_id', 'bigint'], ['at', 'text'], ['action', 'text'], ['labor_cents', 'bigint'], ['parts_cents', 'bigint'], ['fees_cents', 'bigint'], ['discount_cents', 'bigint'], ['total_cents', 'bigint']] },
  { name: 'deposit_moves', columns: [['id', 'bigint'], ['booking_id', 'bigint'], ['kind', 'text'], ['amount_cents', 'bigint'], ['method', 'text'], ['reason', 'text'], ['staff_id', 'bigint'], ['at', 'text']] },
  { name: 'findings', columns: [['id', 'bigint'], ['vehicle_id', 'bigint'], ['order_id', 'bigint'], ['line_id', 'bigint'], ['description', 'text'], ['status', 'text'], ['resolved_order_id', 'bigint'], ['created_at', 'text'], ['resolving_line_id', 'bigint'], ['resolved_at', 'text'], ['severity', 'text'], ['follow_up_on', 'text'], ['reading_id', 'bigint']] },
  { name: 'callbacks', columns: [['id', 'bigint'], ['order_id', 'bigint'], ['agent_id', 'bigint'], ['attempted_at', 'text'], ['result', 'text'], ['q1', 'bigint'], ['q2', 'bigint'], ['q3', 'bigint'], ['q4', 'bigint'], ['q5', 'bigint'], ['reason', 'text'], ['comment', 'text'], ['suggestion', 'text']] },
  { name: 'complaints', columns: [['id', 'bigint'], ['customer_id', 'bigint'], ['order_id', 'bigint'], ['category', 'text'], ['description', 'text'], ['status', 'text'], ['opened_at', 'text'], ['reply_by', 'text'], ['resolved_at', 'text'], ['resolution', 'text']] },
  { name: 'contact_log', columns: [['id', 'bigint'], ['list', 'text'], ['ref', 'text'], ['subject', 'text'], ['customer_id', 'bigint'], ['vehicle_id', 'bigint'], ['booking_id', 'bigint'], ['order_id', 'bigint'], ['result', 'text'], ['later_at', 'text'], ['note', 'text'], ['agent', 'text'], ['at', 'text'], ['recorded_at', 'text']] },
  { name: 'outbox', columns: [['id', 'bigint'], ['key', 'text'], ['job', 'text'], ['run_key', 'text'], ['subject', 'text'], ['customer_id', 'bigint'], ['to_phone', 'text'], ['text', 'text'], ['params', 'text'], ['status', 'text'], ['attempts', 'bigint'], ['next_at', 'text'], ['last_error', 'text'], ['reason', 'text'], ['created_at', 'text'], ['sent_at', 'text']] },
  { name: 'job_runs', columns: [['id', 'bigint'], ['job', 'text'], ['run_key', 'text'], ['started_at', 'text'], ['finished_at', 'text'], ['status', 'text'], ['rows', 'bigint'], ['file', 'text'], ['error', 'text']] },
];

