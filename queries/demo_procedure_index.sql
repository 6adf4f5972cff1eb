-- The demo's catalogue facts the national index reads (docs/index-766.md), drawn from a hash of
-- the procedure code and the seed: about two procedures in three give a paper result (3.3), about
-- nineteen in twenty are published in the national procedures database (1.2).
update procedures set
    paper_result = hash(procedure_code || '|paper|' || $seed) % 3 <> 0,
    published = hash(procedure_code || '|published|' || $seed) % 20 <> 0
