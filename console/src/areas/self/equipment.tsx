import { Datagrid, List, TextField, useTranslate } from "react-admin";
import { Empty } from "../../components/States";
import { ChoiceField, DayField, ForMe } from "./common";

/** The devices the IT desk has handed me. */
export function EquipmentList() {
  const translate = useTranslate();
  return (
    <ForMe>
      {(employeeId) => (
        <List
          resource="my_equipment"
          title={translate("self.menu.equipment")}
          filter={{ employee_id: employeeId }}
          sort={{ field: "", order: "ASC" }}
          perPage={25}
          actions={false}
          disableSyncWithLocation
          empty={<Empty message={translate("self.equipment.none")} />}
        >
          <Datagrid bulkActionButtons={false} rowClick={false}>
            <TextField source="tag" sortable={false} />
            <TextField source="type" sortable={false} />
            <TextField source="model" sortable={false} />
            <TextField source="serial" sortable={false} />
            <ChoiceField source="status" group="asset_status" sortable={false} />
            <DayField source="warranty_end" sortable={false} />
          </Datagrid>
        </List>
      )}
    </ForMe>
  );
}
