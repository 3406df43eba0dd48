// Subjects and descriptions for street reports, in the voice of residents reporting through
// a web form, an app or an email. Placeholders in braces are filled per case (see
// demo.generator.ts): {street} {num} {street2} {place} {park} {since} {when} {items} {car}
// {n} {weeks}. All text is written for the demo; none is copied from real reports.

export type CategoryTexts = { subjects: string[]; details: string[] };

export const REPORT_TEXTS: Record<string, CategoryTexts> = {
  'Fly-tipping': {
    subjects: [
      'Fly tipping on {street}', 'Fly-tipping by {place}', 'Rubbish dumped on {street}', '{items} dumped on {street}',
      'Dumped rubbish outside {num} {street}', 'Large pile of rubbish, {street}', 'Fly tip near {place}',
      '{items} left on the pavement', 'Fly tipping again on {street}', '{items} dumped by {place}',
      'Dumped rubbish blocking pavement', 'Fly-tipping, {street}',
    ],
    details: [
      'Large pile of {items} dumped on the corner of {street} by {place}, been there {since}.',
      '{items} left on the pavement outside {num} {street}. It is blocking the pavement and people with buggies have to walk in the road.',
      'Someone has dumped {items} next to {place} on {street}. Looks like a house clearance.',
      'Fly tip at the junction of {street} and {street2}: {items}. It is getting bigger every day as people add to it.',
      'There is a load of {items} dumped {when} by {place}. Foxes have ripped the bags open and rubbish is all over the road.',
      '{items} dumped in the alleyway behind {street}. This happens every few weeks and nobody ever seems to clear it properly.',
      'Van pulled up {when} and dumped {items} on {street} near {place}. I did not get the registration, sorry.',
      'Builders rubble, plasterboard and paint tins dumped on the grass verge on {street}. Some of the tins are leaking.',
      'Fly tipping outside the flats on {street}, {items} this time. The bin store is full so people just leave stuff outside.',
      'Please can you collect {items} dumped on the pavement opposite {num} {street}. It has been there {since}.',
      'Same spot as last time on {street}, {items} dumped again. Could we have a camera or a sign here?',
      'Broken {items} left outside {place} on {street}. There is broken glass as well so it is dangerous for kids and dogs.',
    ],
  },
  'Missed bin collection': {
    subjects: [
      'Missed bin collection', 'Bins not collected on {street}', 'Collection missed on {street}', 'Bins missed again',
      'Missed collection at {num} {street}',
    ],
    details: [
      'Our general waste bin at {num} {street} was not collected {when}. It was out on time as usual.',
      'Recycling was not collected on {street} this week. All the bins on our side of the road are still full.',
      'The bin lorry came down {street} {when} but skipped our bins, third time in {weeks} weeks.',
      'Bins on {street} have not been emptied {since}. They are overflowing and starting to smell.',
      'Crew missed {num} {street} again. We have an assisted collection so the bin is kept by the front door.',
    ],
  },
  'Missed food waste collection': {
    subjects: ['Food waste caddy not emptied', 'Missed food waste collection, {street}'],
    details: [
      'Food waste caddy outside {num} {street} was not emptied {when}. It is full of maggots now.',
      'Nobody on {street} had their food waste collected this week.',
    ],
  },
  'Missed garden waste collection': {
    subjects: ['Garden waste not collected', 'Green bin missed', 'Missed garden waste, {street}'],
    details: [
      'Our green garden waste bin at {num} {street} was missed {when}. We have paid for the service this year.',
      'Garden waste collection missed on {street} for the second fortnight running.',
      'The green bin was left full with a sticker saying contaminated but it only has grass cuttings in it.',
    ],
  },
  'Bin repair or replacement': {
    subjects: ['Bin problem at {num} {street}', 'Bin needs replacing', 'Replacement bin request', 'Damaged bin'],
    details: [
      'The lid on our bin at {num} {street} snapped off when it was emptied {when}. Foxes are getting in now.',
      'Our wheelie bin has a big crack down the side and the wheel has come off. Can we have a replacement please.',
      'We have just moved in to {num} {street} and there are no bins at the property.',
      'The communal bin at the flats on {street} has a hole in the bottom and rubbish is leaking out.',
    ],
  },
  'Trade waste': {
    subjects: ['Shop rubbish left on pavement', 'Trade waste on {street}', 'Commercial bags dumped by {place}'],
    details: [
      'The shops on {street} keep putting their commercial waste out on the pavement at night. Bags are split open every morning.',
      'Cardboard boxes and food waste from {place} left on the pavement on {street} {since}.',
      'Restaurant by {place} is leaving bags of food waste outside after closing. Rats everywhere.',
    ],
  },
  'Overflowing litter bins': {
    subjects: ['Litter bin overflowing', 'Bin by {place} full', 'Overflowing bins in {park}'],
    details: [
      'The litter bin by {place} on {street} is overflowing and rubbish is blowing all over the road.',
      'All the bins in {park} were full {when}. There was litter everywhere after the weekend.',
      'Bin outside the shops on {street} has not been emptied {since}.',
    ],
  },
  'Abandoned shopping trolleys': {
    subjects: ['Shopping trolley dumped', 'Trolleys abandoned on {street}', 'Shopping trolley left on {street}'],
    details: [
      '{n} shopping trolleys left on the pavement on {street} by {place}.',
      'There is a shopping trolley in the brook at the bottom of {street}, been there {since}.',
      'Abandoned trolley on the grass outside {num} {street}.',
    ],
  },
  'Street cleaning': {
    subjects: [
      'Street needs sweeping', 'Litter on {street}', 'Street cleaning needed on {street}', 'Dirty street, {street}',
      'Mess on {street} near {place}',
    ],
    details: [
      '{street} has not been swept in weeks. There is litter all along the gutter and round {place}.',
      'Broken glass all over the pavement on {street} outside {place}. Dangerous for dogs and children.',
      'Wet leaves piled up on the pavement on {street}, very slippery. An elderly neighbour nearly fell {when}.',
      'Lots of litter around {place} on {street}, especially after the weekend.',
      'Can the road sweeper come down {street} please, the gutters are full of rubbish and it is blocking the drains.',
    ],
  },
  Graffiti: {
    subjects: ['Graffiti on {street}', 'Graffiti near {place}', 'Graffiti needs removing', 'More graffiti on {street}'],
    details: [
      'Graffiti tags sprayed on the wall by {place} on {street} {when}.',
      'Large graffiti on the side of the building at the corner of {street} and {street2}.',
      'Someone has sprayed tags all over the shutters of the shops on {street}.',
      'Graffiti on the railway bridge on {street}, it has been there {since} and more keeps appearing.',
      'The bus shelter on {street} is covered in graffiti again.',
    ],
  },
  'Offensive graffiti': {
    subjects: ['Offensive graffiti on {street}', 'Offensive graffiti needs removing urgently', 'Offensive graffiti near {place}'],
    details: [
      'There is racist graffiti sprayed on the wall by {place} on {street}. Please remove it as soon as possible.',
      'Obscene graffiti on the fence by {place}, right where children walk to school.',
      'Offensive words sprayed on the garage doors on {street} {when}.',
    ],
  },
  'Fly-posting': {
    subjects: ['Fly posting on {street}', 'Fly posters near {place}', 'Illegal advertising on {street}'],
    details: [
      'Posters for club nights pasted all over the telecoms cabinet on {street}.',
      'Every lamp post on {street} has cable-tied advertising boards on it.',
      'Fly posters on the empty shop front by {place}.',
    ],
  },
  'Dog fouling': {
    subjects: ['Dog mess on {street}', 'Dog fouling near {place}', 'Dog fouling problem'],
    details: [
      'Dog mess all over the pavement on {street}, especially near {place}. Someone is not clearing up after their dog.',
      'Dog fouling on the path through {park}, it is disgusting. Could we have more bins or signs?',
      'Pavement outside {num} {street} has dog mess on it every morning.',
    ],
  },
  'Pavement cleaning': {
    subjects: ['Pavement needs jet washing', 'Dirty pavement on {street}', 'Filthy pavement near {place}'],
    details: [
      'The pavement outside the takeaways on {street} is covered in grease and is really slippery.',
      'Pavement by {place} needs a jet wash, it is filthy and smells.',
      'Something has been spilt all over the pavement on {street}, it is sticky and attracting flies.',
    ],
  },
  Potholes: {
    subjects: ['Pothole on {street}', 'Deep pothole near {place}', 'Dangerous pothole on {street}', 'Potholes getting worse', 'Potholes on {street}'],
    details: [
      'Deep pothole in the road outside {num} {street}. Cyclists are swerving round it into traffic.',
      'Large pothole at the junction of {street} and {street2}, at least 10cm deep.',
      'There are {n} potholes on {street} between {place} and the junction with {street2}.',
      'Pothole by {place} on {street} damaged my tyre {when}. It fills with water so you cannot see how deep it is.',
      'The pothole on {street} was filled a few months ago but it has opened up again.',
      'Huge pothole in the bus lane on {street}. Buses are bouncing through it and it shakes the houses.',
    ],
  },
  'Road defects': {
    subjects: ['Road surface problem on {street}', 'Damaged road on {street}', 'Road defect near {place}', 'Dangerous road surface'],
    details: [
      'The manhole cover in the road outside {num} {street} rocks and bangs every time a car goes over it, all night.',
      'Road surface on {street} near {place} is breaking up and there is loose gravel everywhere.',
      'There is a sunken trench in the road on {street} where the utility works were done.',
      'The speed bump on {street} has broken up and bits of tarmac are all over the road.',
    ],
  },
  'Pavement damage': {
    subjects: ['Broken paving slabs on {street}', 'Trip hazard on pavement', 'Uneven pavement near {place}', 'Damaged pavement on {street}'],
    details: [
      'Raised paving slab outside {num} {street}. My mother tripped on it {when} and hurt her wrist.',
      'Several broken and loose paving stones on {street} near {place}, a real trip hazard.',
      'Tree roots have lifted the pavement on {street} and it is impossible with a wheelchair.',
      'The dropped kerb at the junction of {street} and {street2} is broken.',
    ],
  },
  'Street lighting': {
    subjects: ['Street light not working', 'Street light out on {street}', 'Street lighting fault on {street}', 'Faulty street light near {place}'],
    details: [
      'The street light outside {num} {street} has been out {since}. It is very dark and people feel unsafe.',
      '{n} street lights out on {street} between {place} and {street2}.',
      'Lamp post by {place} keeps flickering on and off all night.',
      'Street light on {street} is on all day as well as all night.',
      'The lamp post on {street} has been hit by a car and is leaning over. It looks like it could fall.',
      'The footpath lights from {street} through to {park} are all out. Nobody wants to walk through after dark.',
    ],
  },
  'Road signs': {
    subjects: ['Road sign problem on {street}', 'Damaged road sign', 'Road sign near {place}'],
    details: [
      'The give way sign at the end of {street} has been knocked flat.',
      'The no entry sign on {street} is twisted round and facing the wrong way.',
      'The speed limit sign on {street} is completely covered by a hedge.',
    ],
  },
  'Street nameplates': {
    subjects: ['Street name sign missing', 'Damaged street nameplate'],
    details: ['The street name sign for {street} is missing, delivery drivers cannot find us.', 'The nameplate at the end of {street} is snapped off its posts.'],
  },
  'Blocked drains': {
    subjects: ['Blocked drain on {street}', 'Flooding at {place}', 'Gully blocked, road flooding'],
    details: [
      'The drain outside {num} {street} is blocked and the road floods every time it rains.',
      'Huge puddle across the pavement by {place} on {street}, you have to walk in the road to get past.',
      'Drains on {street} are full of leaves and silt. Water was coming up to the doorsteps {when}.',
      'Blocked gully at the junction of {street} and {street2}. Buses are soaking people at the bus stop.',
    ],
  },
  'Abandoned vehicles': {
    subjects: ['Abandoned vehicle on {street}', 'Car not moved for months', 'Abandoned vehicle near {place}', 'Vehicle dumped on {street}'],
    details: [
      '{car} parked outside {num} {street} has not moved {since}. It has flat tyres and no tax.',
      '{car} abandoned on {street} near {place}. The windows are smashed and there is rubbish inside.',
      'There is a burnt out car on {street} by {place}, {when}.',
      '{car} with no number plates left in the estate car park on {street}.',
      'Caravan parked on {street} for {weeks} weeks, it takes up three spaces.',
    ],
  },
  'Parking problems': {
    subjects: ['Parking problem on {street}', 'Dangerous parking near {place}', 'Inconsiderate parking on {street}', 'Parking on {street}'],
    details: [
      'Cars park on the pavement all along {street}, you cannot get past with a pushchair or wheelchair.',
      'People park on the double yellow lines by {place} every day and it is dangerous at the junction.',
      'Someone keeps parking across my dropped kerb at {num} {street} and I cannot get my car out.',
      'School run parking on {street} is chaos every morning, cars on the zig-zags and blocking driveways.',
    ],
  },
  'Parks & open spaces': {
    subjects: ['Problem in {park}', '{park} needs attention', 'Report about {park}'],
    details: [
      'The bench by the pond in {park} is broken and has a sharp edge sticking out.',
      'Lots of litter and broken glass in {park} after the weekend.',
      'The gate at the {street} entrance to {park} will not close, dogs are running out onto the road.',
      'The main path through {park} is flooded and muddy, impossible to walk through.',
      'Someone has been camping in {park} near the {street} entrance and left a lot of rubbish.',
    ],
  },
  Trees: {
    subjects: ['Tree problem on {street}', 'Dangerous tree near {place}', 'Street tree on {street}', 'Tree needs looking at'],
    details: [
      'A large branch is hanging off the tree outside {num} {street} after the wind {when}. It could fall on someone.',
      'Fallen tree blocking the pavement on {street}.',
      'The street tree outside {num} {street} is blocking all the light and the roots are lifting the pavement.',
      'Tree by {place} is leaning badly and there is a crack in the trunk.',
      'Branches on {street} are so low that lorries are hitting them and dropping twigs everywhere.',
    ],
  },
  'Overgrown vegetation': {
    subjects: ['Overgrown vegetation on {street}', 'Overgrown footpath', 'Overgrowth blocking the way'],
    details: [
      'The hedge at {num} {street} is so overgrown that you have to walk in the road.',
      'Weeds are growing out of the pavement all along {street}.',
      'Brambles on the footpath from {street} to {park}, they catch your face and clothes.',
    ],
  },
  Playgrounds: {
    subjects: ['Playground in {park}', 'Playground equipment damaged', 'Unsafe playground in {park}'],
    details: [
      'One of the swings in the playground in {park} has a broken chain.',
      'The slide in {park} has a cracked panel with a sharp edge. Children are still using it.',
      'Broken glass all over the playground in {park} {when}.',
    ],
  },
  'Public toilets': {
    subjects: ['Public toilets closed', 'Toilets in {park} dirty'],
    details: ['The toilets in {park} have been locked {since}.', 'The public toilets by {place} are filthy and the hand dryer is broken.'],
  },
};

export const ITEMS = [
  'mattresses and bin bags', 'a fridge freezer', 'an old sofa', 'black bags', 'a broken wardrobe', 'builders rubble',
  'a double mattress', 'carpet and underlay', 'a washing machine', 'a pile of bin bags', 'old tyres', 'a broken TV',
  'kitchen units', 'a bed frame and mattress', 'bags of clothes', 'paint tins', 'garden waste', 'a broken chest of drawers',
  'a pushchair and toys', 'cardboard boxes', 'an armchair', 'bags of plasterboard', 'a smashed mirror', 'a bathroom suite',
] as const;

export const VEHICLES = [
  'a silver Ford Focus', 'a blue Vauxhall Corsa', 'a black BMW', 'a white Transit van', 'a red Nissan Micra', 'a grey VW Golf',
  'a green Land Rover', 'a white Mercedes Sprinter', 'a black Audi A3', 'a silver Toyota Yaris', 'a blue Peugeot 206',
  'a gold Honda Civic', 'a white Fiat 500', 'a maroon Rover', 'a dark blue Skoda Octavia',
] as const;

export const SINCE = [
  'since Monday', 'since the weekend', 'for over a week', 'for two weeks', 'since last Thursday', 'for about a month',
  'for three days', 'since before Christmas', 'for ages', 'since yesterday', 'for at least ten days', 'all week',
] as const;

export const WHEN = [
  'this morning', 'last night', 'yesterday', 'yesterday afternoon', 'on Saturday', 'on Sunday night', 'earlier today',
  'on Friday', 'over the weekend', 'this evening', 'at about 6am', 'on Tuesday',
] as const;
