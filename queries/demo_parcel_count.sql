-- How many parcels the demo generated (a demo store holds no other parcels).
select count(*) as parcels
from parcels
