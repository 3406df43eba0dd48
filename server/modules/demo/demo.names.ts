// Word lists for the fictional district of Riverside: people's names (a mix a diverse English
// borough would have), street name parts, wards, landmarks and organisations. All invented
// or generic; none of it comes from real records.

export const DISTRICT_NAME = 'Riverside';
export const POSTCODE_AREA = 'RV'; // not a real UK postcode area

export const WARD_NAMES = [
  'Millbrook', 'Ashgrove', 'Kingsmead', 'Fernhill', 'Oakfield', 'Brookside', 'Riverside Central', 'Hatherley',
  'Sandford', 'Elmstead', 'Cobbett Park', 'Wyndham', 'Larkrise', 'St Aldric\'s', 'Thornbury Vale', 'Copperfield',
  'Marlow Green', 'Heathcote',
] as const;

export const FIRST_NAMES = [
  'Oliver', 'George', 'Harry', 'Jack', 'Jacob', 'Noah', 'Charlie', 'Thomas', 'Oscar', 'William', 'James', 'Leo',
  'Alfie', 'Henry', 'Joshua', 'Freddie', 'Archie', 'Ethan', 'Isaac', 'Alexander', 'Joseph', 'Edward', 'Samuel',
  'Max', 'Daniel', 'Arthur', 'Lucas', 'Mohammed', 'Muhammad', 'Logan', 'Theo', 'Harrison', 'Benjamin', 'Mason',
  'Sebastian', 'Finley', 'Adam', 'Dylan', 'Zachary', 'Riley', 'Toby', 'Elijah', 'Louis', 'Reggie', 'Tommy',
  'David', 'John', 'Michael', 'Paul', 'Andrew', 'Mark', 'Richard', 'Peter', 'Stephen', 'Christopher', 'Robert',
  'Anthony', 'Gary', 'Kevin', 'Ian', 'Simon', 'Neil', 'Graham', 'Keith', 'Barry', 'Derek', 'Colin', 'Trevor',
  'Ahmed', 'Ali', 'Omar', 'Yusuf', 'Hamza', 'Ibrahim', 'Tariq', 'Imran', 'Raj', 'Sanjay', 'Arjun', 'Vikram',
  'Kwame', 'Kofi', 'Chidi', 'Emeka', 'Tunde', 'Femi', 'Segun', 'Jamal', 'Tyrone', 'Marcus', 'Delroy', 'Winston',
  'Piotr', 'Tomasz', 'Krzysztof', 'Andrei', 'Mihai', 'Darius', 'Luca', 'Marco', 'Diego', 'Mateo', 'João', 'Tiago',
  'Wei', 'Jun', 'Minh', 'Hiroshi', 'Mehmet', 'Emre', 'Hassan', 'Abdi', 'Declan', 'Ciaran', 'Sean', 'Rhys', 'Owen',
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia', 'Grace', 'Freya',
  'Willow', 'Florence', 'Emily', 'Ella', 'Poppy', 'Evie', 'Elsie', 'Charlotte', 'Evelyn', 'Sienna', 'Daisy',
  'Phoebe', 'Alice', 'Sofia', 'Ruby', 'Matilda', 'Harper', 'Chloe', 'Jessica', 'Sophie', 'Hannah', 'Lucy',
  'Sarah', 'Emma', 'Rebecca', 'Laura', 'Rachel', 'Claire', 'Nicola', 'Karen', 'Susan', 'Julie', 'Helen',
  'Jennifer', 'Angela', 'Tracey', 'Joanne', 'Michelle', 'Lisa', 'Dawn', 'Deborah', 'Patricia', 'Margaret', 'Jean',
  'Maureen', 'Pauline', 'Brenda', 'Sheila', 'Doreen', 'Aisha', 'Fatima', 'Maryam', 'Zainab', 'Amira', 'Nadia',
  'Priya', 'Anjali', 'Sunita', 'Kiran', 'Harpreet', 'Simran', 'Ngozi', 'Chioma', 'Adaeze', 'Funmi', 'Abena',
  'Ama', 'Precious', 'Blessing', 'Marcia', 'Sonia', 'Beverley', 'Agnieszka', 'Katarzyna', 'Magdalena', 'Ioana',
  'Elena', 'Giulia', 'Chiara', 'Lucía', 'Ana', 'Beatriz', 'Mei', 'Xin', 'Linh', 'Yuki', 'Elif', 'Zeynep',
  'Hodan', 'Amina', 'Siobhan', 'Niamh', 'Aoife', 'Bethan', 'Cerys', 'Megan', 'Kayleigh', 'Jade', 'Leanne',
] as const;

export const SURNAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts',
  'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris',
  'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark',
  'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', 'James', 'Scott', 'Phillips', 'Watson', 'Davis', 'Parker',
  'Price', 'Bennett', 'Young', 'Griffiths', 'Mitchell', 'Kelly', 'Cook', 'Carter', 'Richardson', 'Bailey',
  'Collins', 'Bell', 'Shaw', 'Murphy', 'Miller', 'Cox', 'Richards', 'Khan', 'Marshall', 'Anderson', 'Simpson',
  'Ellis', 'Adams', 'Singh', 'Begum', 'Wilkinson', 'Foster', 'Chapman', 'Powell', 'Webb', 'Rogers', 'Gray',
  'Mason', 'Ali', 'Hunt', 'Hussain', 'Campbell', 'Matthews', 'Owen', 'Palmer', 'Holmes', 'Mills', 'Barnes',
  'Knight', 'Lloyd', 'Butler', 'Russell', 'Barker', 'Fisher', 'Stevens', 'Jenkins', 'Murray', 'Dixon', 'Harvey',
  'Graham', 'Pearson', 'Ahmed', 'Fletcher', 'Walsh', 'Kaur', 'Gibson', 'Howard', 'Andrews', 'Stewart', 'Elliott',
  'Reynolds', 'Saunders', 'Payne', 'Fox', 'Ford', 'Pearce', 'Day', 'Brooks', 'West', 'Lawrence', 'Cole',
  'Atkinson', 'Bradley', 'Spencer', 'Gill', 'Dawson', 'Ball', 'Burton', "O'Brien", 'Watts', 'Rose', 'Booth',
  'Perry', 'Ryan', 'Grant', 'Wells', 'Armstrong', 'Francis', 'Rees', 'Hayes', 'Hart', 'Hudson', 'Newman',
  'Barrett', 'Webster', 'Hunter', 'Gregory', 'Carr', 'Lowe', 'Page', 'Marsh', 'Riley', 'Dunn', 'Woods', 'Parsons',
  'Berry', 'Stone', 'Reid', 'Holland', 'Hawkins', 'Harding', 'Porter', 'Robertson', 'Newton', 'Oliver', 'Reed',
  'Kennedy', 'Williamson', 'Bird', 'Gardner', 'Shah', 'Dean', 'Lane', 'Cooke', 'Bates', 'Henderson', 'Parry',
  'Burgess', 'Bishop', 'Walton', 'Burns', 'Nicholson', 'Shepherd', 'Ross', 'Cross', 'Long', 'Freeman', 'Warren',
  'Nicholls', 'Hamilton', 'Byrne', 'Sutton', 'McDonald', 'Yates', 'Hodgson', 'Robson', 'Curtis', 'Hopkins',
  "O'Connor", 'Harper', 'Coleman', 'Watkins', 'Moss', 'McCarthy', 'Chambers', "O'Neill", 'Griffin', 'Sharp',
  'Hardy', 'Wheeler', 'Potter', 'Osborne', 'Johnston', 'Gordon', 'Doyle', 'Wallace', 'George', 'Jordan',
  'Rahman', 'Islam', 'Miah', 'Chowdhury', 'Sharma', 'Mistry', 'Sandhu', 'Mensah', 'Okafor', 'Adeyemi', 'Owusu',
  'Osei', 'Boateng', 'Asante', 'Okonkwo', 'Adebayo', 'Nowak', 'Kowalski', 'Wiśniewska', 'Popescu', 'Ionescu',
  'Silva', 'Santos', 'Ferreira', 'Costa', 'Rossi', 'Russo', 'García', 'Fernández', 'Nguyen', 'Tran', 'Chen',
  'Wang', 'Li', 'Zhang', 'Yilmaz', 'Demir', 'Kaya', 'Ibrahim', 'Mohamed', 'Hassan', 'Abdi', 'Warsame', 'Farah',
] as const;

// Street names: a stem and a type. Generic English place-name words, combined at random.
export const STREET_STEMS = [
  'Alder', 'Ashburn', 'Aspen', 'Barrow', 'Beacon', 'Beech', 'Belgrave', 'Birchwood', 'Blackthorn', 'Bramley',
  'Brewery', 'Bridge', 'Brook', 'Burdett', 'Calder', 'Canal', 'Carlton', 'Cedar', 'Chapel', 'Chestnut', 'Church',
  'Clifton', 'Coldharbour', 'College', 'Coniston', 'Copse', 'Cranbrook', 'Cromwell', 'Dairy', 'Dartmouth',
  'Denham', 'Dorset', 'Dover', 'Dunmore', 'Elder', 'Ellington', 'Elm', 'Endsleigh', 'Farrier', 'Ferry', 'Field',
  'Forge', 'Foxley', 'Gladstone', 'Glebe', 'Granary', 'Granville', 'Grosvenor', 'Harcourt', 'Hartley',
  'Hawthorn', 'Hazel', 'Heron', 'Highfield', 'Hollybush', 'Holme', 'Kestrel', 'Kiln', 'Kingfisher', 'Knoll',
  'Laburnum', 'Lambert', 'Langdale', 'Larch', 'Lavender', 'Leyton', 'Lime', 'Linden', 'Lock', 'Malthouse',
  'Manor', 'Maple', 'Market', 'Marlborough', 'Mayfield', 'Meadow', 'Mercer', 'Mill', 'Minster', 'Moorland',
  'Mulberry', 'Nelson', 'Netherby', 'Newbury', 'Northcote', 'Nursery', 'Oakwood', 'Orchard', 'Osier', 'Palmerston',
  'Park', 'Pelham', 'Pemberton', 'Pinewood', 'Pottery', 'Priory', 'Quarry', 'Queensway', 'Radley', 'Rectory',
  'Ropewalk', 'Rosebery', 'Rowan', 'Russell', 'Saxon', 'School', 'Selwyn', 'Shaftesbury', 'Silverdale',
  'Sorrel', 'Spring', 'Stanley', 'Station', 'Sycamore', 'Tannery', 'Thames', 'Tollgate', 'Tower', 'Trafalgar',
  'Tudor', 'Upland', 'Vicarage', 'Victoria', 'Walnut', 'Warwick', 'Waterloo', 'Weaver', 'Wellington', 'Wharf',
  'Whitby', 'Willow', 'Windmill', 'Winslow', 'Woodland', 'Wren', 'Yew', 'Albion', 'Arundel', 'Balfour', 'Bexley',
  'Cavendish', 'Chaucer', 'Darwin', 'Faraday', 'Kipling', 'Milton', 'Ruskin', 'Tennyson', 'Wordsworth',
] as const;

export const STREET_TYPES: readonly { value: string; weight: number }[] = [
  { value: 'Road', weight: 26 }, { value: 'Street', weight: 12 }, { value: 'Lane', weight: 8 }, { value: 'Avenue', weight: 8 },
  { value: 'Close', weight: 8 }, { value: 'Gardens', weight: 6 }, { value: 'Crescent', weight: 5 }, { value: 'Grove', weight: 5 },
  { value: 'Way', weight: 5 }, { value: 'Drive', weight: 4 }, { value: 'Place', weight: 3 }, { value: 'Terrace', weight: 3 },
  { value: 'Rise', weight: 2 }, { value: 'Hill', weight: 2 }, { value: 'Walk', weight: 2 }, { value: 'Mews', weight: 2 },
  { value: 'Row', weight: 1 }, { value: 'Square', weight: 1 }, { value: 'Vale', weight: 1 },
];

// Named blocks of flats, for "Flat 12, Kestrel House" style addresses and estate reports.
export const BLOCK_NAMES = ['House', 'Court', 'Lodge', 'Point', 'Tower', 'Mansions'] as const;

export const PARKS = [
  'Millbrook Park', 'Ashgrove Common', 'Kingsmead Recreation Ground', 'Fernhill Woods', 'Oakfield Playing Fields',
  'Riverside Gardens', 'the Towpath', 'Sandford Rec', 'Elmstead Park', 'Cobbett Park', 'Larkrise Meadow', 'Heathcote Green',
] as const;

export const LANDMARKS = [
  'the bus stop', 'the bus shelter', 'the Co-op', 'the corner shop', 'the primary school', 'the railway bridge',
  'the park gates', 'the post box', 'the chicken shop', 'the launderette', 'the church', 'the playground',
  'the estate car park', 'the recycling bank', 'the zebra crossing', 'the phone box', 'the pub', 'the library',
  'the health centre', 'the station entrance', 'the garages', 'the community centre', 'the mini roundabout',
  'the petrol station', 'the alleyway', 'the pharmacy', 'the betting shop', 'the takeaway', 'the nursery',
  'the traffic lights', 'the underpass', 'the footbridge', 'the allotments', 'the bike racks', 'the cashpoint',
] as const;

export const ORGANISATION_PATTERNS = [
  '{stem} {type} Residents\' Association', '{ward} Tenants and Residents Association', 'Friends of {park}',
  '{surname} & Sons Builders', '{ward} Community Centre', 'St {saint}\'s Church', '{ward} Primary School',
  '{stem} Medical Practice', '{district} Food Bank', '{surname}\'s Café', '{stem} Housing Co-operative',
  '{ward} Allotment Society', '{district} Mosque', '{district} Youth Football Club', '{stem} Court Management Ltd',
  '{surname} Motors', '{ward} Baptist Church', '{district} Seniors Lunch Club', '{stem} Nursery', '{surname} Lettings',
  '{district} Cycling Campaign', '{ward} Neighbourhood Forum', '{stem} Dental Surgery', '{surname} & Co Solicitors',
] as const;

export const SAINTS = ['Mary', 'John', 'Peter', 'Luke', 'Andrew', 'Michael', 'Margaret', 'Anne', 'Stephen', 'Paul'] as const;

export const LANGUAGES: readonly { value: string; weight: number }[] = [
  { value: 'pl', weight: 5 }, { value: 'ro', weight: 3 }, { value: 'pa', weight: 2 }, { value: 'ur', weight: 3 },
  { value: 'bn', weight: 3 }, { value: 'so', weight: 2 }, { value: 'pt', weight: 2 }, { value: 'es', weight: 2 },
  { value: 'tr', weight: 2 }, { value: 'zh', weight: 1 }, { value: 'yo', weight: 1 }, { value: 'ar', weight: 2 },
];

// Reserved example domains (RFC 2606): demo mail can never reach a real mailbox.
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'inbox.example', 'post.example'] as const;
