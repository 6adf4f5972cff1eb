-- old_units is pure reference data: replaced as a whole by reference_insert_old_units.
delete from old_units
