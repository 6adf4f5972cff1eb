-- The procedure codes the store holds (a catalogue row of another code needs its name).
select procedure_code
from procedures
