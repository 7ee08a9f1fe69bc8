import { TextInput } from "react-admin";

/** The contracted weekly hours (a part-timer's) and the collective agreement group of pay terms: payroll checks the
 * minimum pay of an hour against them. Empty fields are sent as null. */
export function PayHoursInputs({ prefix }: { prefix: "" | "pay_terms." }) {
  const empty = (value: string) => value || null;
  return (
    <>
      <TextInput
        source={`${prefix}weekly_hours`}
        label="hr.pay_hours.weekly_hours"
        helperText="hr.pay_hours.weekly_hours_help"
        inputMode="decimal"
        parse={empty}
        fullWidth
      />
      <TextInput
        source={`${prefix}agreement_group`}
        label="hr.pay_hours.agreement_group"
        helperText="hr.pay_hours.agreement_group_help"
        parse={empty}
        fullWidth
      />
    </>
  );
}
