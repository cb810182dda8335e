#include "src/synth/tables.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "src/normalize/names.h"

namespace matchguard::synth {
namespace {

// Lists are written as words separated by spaces, in rank order; '_' stands for a space inside a name.
// Ranks follow US Social Security and Census frequency orderings across the birth years 1930-2010,
// approximately: exact ranks matter less than the heavy head and long tail they produce.
constexpr std::string_view kMaleFirstNames =
    "James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew "
    "Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason "
    "Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel "
    "Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron José Adam Nathan Henry Douglas "
    "Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald Harold Sean Austin Carl "
    "Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan Albert Willie Alan Juan Wayne "
    "Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Harry Howard Fred Stanley "
    "Leonard Ernest Earl Francis Alfred Clarence Luis Carlos Jesús Miguel Antonio Manuel Francisco Jorge "
    "Ricardo Pedro Alejandro Rafael Fernando Sergio Eduardo Andrés Martín Ramón Raúl Héctor Víctor Roberto "
    "Javier Óscar Mario Julio Ángel Diego Iván Rubén Tomás Nicolás Sebastián Marcus Derek Travis Shawn Chad "
    "Jared Cody Troy Curtis Leroy Norman Allen Marvin Glenn Dale Craig Todd Lance Mitchell Edwin Barry "
    "Bernard Leon Warren Dean Gordon Lloyd Herbert Theodore Maurice Calvin Lewis Max Owen Luke Caleb Isaac "
    "Hunter Connor Evan Liam Aiden Jayden Mohammed Ahmed Ali Omar Hassan Wei Jun Hiroshi Kenji Raj Sanjay "
    "Arjun Vikram Dmitri Sergei Ivan Piotr Seán Brendan Declan Desmond Cornelius Rufus Otis Elmer Virgil "
    "Homer Chester Lester Floyd Clyde Herman Luther Alvin Wesley Jimmy Johnny Tony Danny Ricky Jay Jeffery "
    "Shane Micheal Gilbert Dustin Phillip Bradley Jeremiah Elias Josiah Julian Adrian Colton Brayden Landon "
    "Xavier Dominic Jaxon Cooper Easton Carson Blake Chase Cole Tristan Grayson Levi";

constexpr std::string_view kFemaleFirstNames =
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret "
    "Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca "
    "Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha "
    "Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie Olivia Joyce "
    "Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline "
    "Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia Grace "
    "Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie "
    "Kayla Alexis Lori Rose Tiffany Tammy Irene Jane Lillian Wanda Peggy Norma Ethel Mildred Florence Edna "
    "Gladys Josephine Louise Eleanor Lucille Hazel Thelma Bernice Agnes Rosa Guadalupe Carmen Ana María "
    "Lucía Sofía Camila Valentina Ximena Mariana Gabriela Verónica Adriana Daniela Alejandra Beatriz Inés "
    "Raquel Dolores Consuelo Renée Chloé Zoë Noémie Hélène Ingrid Astrid Fatima Aisha Mei Yuki Priya "
    "Anjali Olga Svetlana Katarzyna Siobhán Aoife Bridget Colleen Maureen Erin Kristen Courtney Erica "
    "Monica Crystal Vanessa Tracy Dawn Wendy Holly Jill Stacy Melanie Leslie Tina Sheila Connie Paula Vicki "
    "Gail Shannon Lindsay Kristin Ellen Elaine Joanne Yvonne Lorraine Geraldine Marjorie Lois Eileen Sylvia "
    "Juanita Anita Roberta Pauline Ava Mia Harper Ella Zoe Lily Aubrey Addison Natasha Naomi Leah Ruby "
    "Stella Violet Aurora Penelope Layla Jo_Ann Mary_Ellen Annie Sally Carrie Rita Kathy Sue Patsy Bonnie "
    "Phyllis Dianne Jeanette Loretta Vivian Beatrice Viola Marion Esther Pearl Minnie Myrtle Bertha Clara "
    "Emma_Lou Jamie Stacey Kristina Misty Kendra Tanya Rhonda Kristy Alicia Brittney Chelsea";

constexpr std::string_view kSurnames =
    "Smith Johnson Williams Brown Jones García Miller Davis Rodríguez Martínez Hernández López González "
    "Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Pérez Thompson White Harris Sánchez Clark "
    "Ramírez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams "
    "Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gómez Phillips Evans Turner Díaz Parker Cruz "
    "Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutiérrez Ortiz Morgan Cooper Peterson "
    "Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chávez Wood James Bennett Gray "
    "Mendoza Ruiz Hughes Price Álvarez Castillo Sanders Patel Myers Long Ross Foster Jiménez Powell Jenkins "
    "Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vásquez Simmons Romero "
    "Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant "
    "Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernández "
    "McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzmán Burns Crawford "
    "Olson Simpson Porter Hunter Gordon Méndez Silva Shaw Snyder Mason Dixon Muñoz Hunt Hicks Holmes Palmer "
    "Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels "
    "Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold "
    "Pierce Vázquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson "
    "Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Peña Richards "
    "Contreras Willis Carpenter Lawrence Sandoval Guerrero George Chapman Ríos Estrada Ortega Watkins "
    "Greene Núñez Wheeler Valdez Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson Austin "
    "Domínguez Carr Lawson Jacobs O'Brien Lynch Singh Vega Bishop Montgomery Oliver Jensen Harvey "
    "Williamson Gilbert Dean Sims Espinoza Howell Li Wong Reid Hanson Le McCoy Garrett Burton Fuller Wang "
    "Weber Welch Rojas Lucas Márquez Fields Park Yang Little Banks Padilla Day Walsh Bowman Schultz Luna "
    "Fowler Mejía Davidson Acosta Brewer May Holland Juárez Newman Pearson Curtis Cortez Douglas Schneider "
    "Joseph Barrett Navarro Figueroa Keller Ávila Wade Molina Stanley Hopkins Campos Barnett Bates Chambers "
    "Caldwell Beck Lambert Miranda Byrd Craig Ayala Lowe Frazier Powers Neal Leonard Gregory Carrillo "
    "Sutton Fleming Rhodes Shelton Schwartz Norris Jennings Watts Durán Walters Cohen McDaniel Moran Parks "
    "Steele Vaughn Becker Holt De_León Barker Terry Hale Leon Benson Haynes Horton Miles Lyons Pham Graves "
    "Bush Thornton Wolfe Warner Cabrera McKinney Mann Zimmerman Dawson Lara Fletcher Page McCarthy Love "
    "Robles Cervantes Solís Erickson Reeves Chang Klein Salinas Fuentes Baldwin Daniel Simon Velásquez "
    "Hardy Higgins Aguirre Lin Cummings Chandler Sharp Barber Bowen Ochoa Dennis Robbins Liu Ramsey Francis "
    "Griffith Paul Blair O'Connor Cárdenas Pacheco Cross Calderón Quinn Moss Swanson Chan Rivas Khan "
    "Rodgers Serrano Fitzgerald Rosales Stevenson Christensen Manning Gill Curry McLaughlin Harmon McGee "
    "Gross Doyle Garner Newton Burgess Reese Walton Blake Trujillo Adkins Brady Goodman Román Webster "
    "Goodwin Fischer Huang Potter De_la_Cruz Montoya Todd Wu Hines Mullins Castañeda Malone Cannon Tate "
    "Mack Sherman Hubbard Hodges Zhang Guerra Wolf Valencia Saunders Franco Rowe Gallagher Farmer Hammond "
    "Hampton Townsend Ingram Wise Gallegos Clarke Barton Schroeder Maxwell Waters Logan Camacho Strickland "
    "Norman Person Colón Parsons Frank Harrington Glover Osborne Buchanan Casey Floyd Patton Ibarra Ball "
    "Tyler Suárez Bowers Orozco Salas Cobb Gibbs Andrade Bauer Conner Moody Escobar McGuire Lloyd Mueller "
    "Hartman French Kramer McBride Pope Lindsey Velázquez Norton McCormick Sparks Flynn Yates Hogan Marsh "
    "Macías Villanueva Zamora Pratt Stokes Owen Ballard Lang Brock Villarreal Charles Drake Barrera Cain "
    "Patrick Pineda Burnett Mercado Santana Shepherd Bautista Ali Shaffer Lamb Treviño McKenzie Hess Olsen "
    "Cochran Morton Nash Wilkins Petersen Briggs Shah Roth Nicholson Holloway Lozano Rangel Flowers Hoover "
    "Short Arias Mora Valenzuela Bryan Meyers Weiss Underwood Bass Greer Summers Houston Carson Morrow "
    "Clayton Whitaker Decker Yoder Collier Zúñiga Carey Wilcox Meléndez Poole Roberson Larsen Conley "
    "Davenport Copeland Massey Lam Huff Rocha Cameron Jefferson Hood Monroe Anthony Pittman Huynh Randall "
    "Singleton Kirk Combs Mathis Christian Skinner Bradford Richard Galván Wall Boone Kirby Wilkinson "
    "Bridges Bruce Atkinson Vélez Meza Roy Vincent York Hodge Villa Abbott Allison Tapia Gates Chase Sosa "
    "Sweeney Farrell Wyatt Dalton Horn Barron Phelps Yu Dickerson Heath Foley Atkins Mathews Bonilla "
    "Acevedo Benítez Zavala Hensley Glenn Cisneros Harrell Shields Rubio Huffman Choi Boyer Garrison Arroyo "
    "Bond Kane Hancock Callahan Dillon Cline Wiggins Grimes Arellano Melton O'Neill Savage Ho Beltrán Pitts "
    "Parrish Ponce Rich Booth Koch Golden Ware Brennan McDowell Marks Cantú Humphrey Baxter Sawyer Clay "
    "Tanner Hutchinson Kaur Berg Wiley Gilmore Russo Villegas Hobbs Keith Wilkerson Ahmed Beard McClain "
    "Montes Mata Rosario Vang Walter Henson O'Donnell Mayer Nolan Duarte Kowalski Nowak Wiśniewski "
    "Novak Horvat Müller Schäfer Björk Ivanov Petrov Kuznetsov Popescu Nakamura Tanaka Suzuki Sato "
    "Watanabe Kobayashi Yamamoto Takahashi Ito Gupta Sharma Kumar Reddy Chowdhury Rahman Hussain "
    "Abdullah Mohamed Haddad Khoury Nasser Okafor Okonkwo Adeyemi Mensah Boateng Papadopoulos Rossi Russo "
    "Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De_Luca Costa Giordano Mancini "
    "Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone "
    "Longo Gentile Martinelli Vitale Lombardo Serra Coppola De_Santis D'Angelo Marchetti Parisi Villa "
    "O'Sullivan O'Reilly O'Malley O'Hara MacDonald MacLeod McKay McIntyre Fitzpatrick Gallagher Donnelly "
    "St._John Van_Buren Vanderbilt Van_der_Berg Du_Pont LeBlanc Thibodeaux Boudreaux Guidry Hébert Broussard";

constexpr std::string_view kStreetNames =
    "Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Walnut Sunset Lincoln Jackson Church River "
    "Highland Spring Chestnut Center Madison Jefferson Franklin Willow Meadow Forest Ridge Adams Mill "
    "Valley Cherry Dogwood Birch Magnolia Hickory Lakeview Sycamore Poplar Spruce Laurel Broad Market Water "
    "School Union Bridge Front High Prospect Pleasant Liberty Central Green Railroad Academy Orchard "
    "Cottage Woodland Summit Fairview Grove Locust Vine Heritage Country_Club Mountain_View "
    "Martin_Luther_King_Jr Kings Sierra Mesa Canyon Bayview Harbor Ocean Palm Coral Rosewood Aspen Juniper "
    "Cypress Willowbrook Brookside Creekside Old_Mill Indian_Hills Deer_Run Fox_Run Quail_Hollow "
    "Timberlane Stonegate Greenbriar Briarwood Kingston Wellington Hamilton Monroe Jackson_Creek "
    "Sandpiper Bluebird Cardinal Robin Hawthorne Evergreen Shady_Oaks Elmwood Oakwood Pinecrest Ridgeview "
    "Hillcrest Riverside Northview Southgate Eastwood Westwood Mulberry Peachtree Pecan Cottonwood Alder "
    "Seminole Cherokee Apache Navajo Dakota Santa_Fe El_Camino San_Pedro Camino_Real Del_Mar Vista_Grande";

// Weighted by how often each suffix names a US street, most common first.
constexpr std::string_view kSuffixWords[] = {"street",  "avenue",    "drive",  "road",  "lane",    "court",
                                             "place",   "boulevard", "circle", "trail", "terrace", "parkway",
                                             "highway", "ridge",     "square", "loop",  "way"};

constexpr City kCities[] = {
    {"New York", "NY", "100", "212"},       {"Los Angeles", "CA", "900", "213"},
    {"Chicago", "IL", "606", "312"},        {"Houston", "TX", "770", "713"},
    {"Phoenix", "AZ", "850", "602"},        {"Philadelphia", "PA", "191", "215"},
    {"San Antonio", "TX", "782", "210"},    {"San Diego", "CA", "921", "619"},
    {"Dallas", "TX", "752", "214"},         {"San Jose", "CA", "951", "408"},
    {"Austin", "TX", "787", "512"},         {"Jacksonville", "FL", "322", "904"},
    {"Fort Worth", "TX", "761", "817"},     {"Columbus", "OH", "432", "614"},
    {"Charlotte", "NC", "282", "704"},      {"Indianapolis", "IN", "462", "317"},
    {"San Francisco", "CA", "941", "415"},  {"Seattle", "WA", "981", "206"},
    {"Denver", "CO", "802", "303"},         {"Washington", "DC", "200", "202"},
    {"Boston", "MA", "021", "617"},         {"El Paso", "TX", "799", "915"},
    {"Nashville", "TN", "372", "615"},      {"Detroit", "MI", "482", "313"},
    {"Oklahoma City", "OK", "731", "405"},  {"Portland", "OR", "972", "503"},
    {"Las Vegas", "NV", "891", "702"},      {"Memphis", "TN", "381", "901"},
    {"Louisville", "KY", "402", "502"},     {"Baltimore", "MD", "212", "410"},
    {"Milwaukee", "WI", "532", "414"},      {"Albuquerque", "NM", "871", "505"},
    {"Tucson", "AZ", "857", "520"},         {"Fresno", "CA", "937", "559"},
    {"Sacramento", "CA", "958", "916"},     {"Kansas City", "MO", "641", "816"},
    {"Mesa", "AZ", "852", "480"},           {"Atlanta", "GA", "303", "404"},
    {"Omaha", "NE", "681", "402"},          {"Colorado Springs", "CO", "809", "719"},
    {"Raleigh", "NC", "276", "919"},        {"Miami", "FL", "331", "305"},
    {"Long Beach", "CA", "908", "562"},     {"Virginia Beach", "VA", "234", "757"},
    {"Oakland", "CA", "946", "510"},        {"Minneapolis", "MN", "554", "612"},
    {"Tulsa", "OK", "741", "918"},          {"Tampa", "FL", "336", "813"},
    {"Arlington", "TX", "760", "817"},      {"New Orleans", "LA", "701", "504"},
    {"Wichita", "KS", "672", "316"},        {"Cleveland", "OH", "441", "216"},
    {"Bakersfield", "CA", "933", "661"},    {"Aurora", "CO", "800", "303"},
    {"Anaheim", "CA", "928", "714"},        {"Honolulu", "HI", "968", "808"},
    {"Santa Ana", "CA", "927", "714"},      {"Riverside", "CA", "925", "951"},
    {"Corpus Christi", "TX", "784", "361"}, {"Lexington", "KY", "405", "859"},
    {"Stockton", "CA", "952", "209"},       {"St. Louis", "MO", "631", "314"},
    {"Saint Paul", "MN", "551", "651"},     {"Cincinnati", "OH", "452", "513"},
    {"Pittsburgh", "PA", "152", "412"},     {"Greensboro", "NC", "274", "336"},
    {"Anchorage", "AK", "995", "907"},      {"Plano", "TX", "750", "972"},
    {"Lincoln", "NE", "685", "402"},        {"Orlando", "FL", "328", "407"},
    {"Irvine", "CA", "926", "949"},         {"Newark", "NJ", "071", "973"},
    {"Toledo", "OH", "436", "419"},         {"Durham", "NC", "277", "919"},
    {"Chula Vista", "CA", "919", "619"},    {"Fort Wayne", "IN", "468", "260"},
    {"Jersey City", "NJ", "073", "201"},    {"St. Petersburg", "FL", "337", "727"},
    {"Laredo", "TX", "780", "956"},         {"Madison", "WI", "537", "608"},
    {"Buffalo", "NY", "142", "716"},        {"Lubbock", "TX", "794", "806"},
    {"Scottsdale", "AZ", "852", "480"},     {"Reno", "NV", "895", "775"},
    {"Glendale", "AZ", "853", "623"},       {"Boise", "ID", "837", "208"},
    {"Richmond", "VA", "232", "804"},       {"Des Moines", "IA", "503", "515"},
    {"Spokane", "WA", "992", "509"},        {"Salt Lake City", "UT", "841", "801"},
    {"Springfield", "IL", "627", "217"},    {"Little Rock", "AR", "722", "501"},
    {"Hartford", "CT", "061", "860"},       {"Providence", "RI", "029", "401"},
    {"Burlington", "VT", "054", "802"},     {"Portland", "ME", "041", "207"},
    {"Manchester", "NH", "031", "603"},     {"Wilmington", "DE", "198", "302"},
    {"Charleston", "WV", "253", "304"},     {"Jackson", "MS", "392", "601"},
    {"Birmingham", "AL", "352", "205"},     {"Columbia", "SC", "292", "803"},
    {"Fargo", "ND", "581", "701"},          {"Sioux Falls", "SD", "571", "605"},
    {"Billings", "MT", "591", "406"},       {"Cheyenne", "WY", "820", "307"},
    {"San Juan", "PR", "009", "787"},       {"Española", "NM", "875", "505"},
    {"Cañon City", "CO", "812", "719"},
};

// Common Medicare Part B lines, most frequent first, with a typical allowed amount.
constexpr Procedure kProcedures[] = {
    {"99213", 92.0},  {"99214", 131.0}, {"36415", 3.0},   {"85025", 7.8},   {"80053", 10.6},  {"99232", 84.0},
    {"80061", 13.4},  {"84443", 16.8},  {"99233", 120.0}, {"93000", 16.5},  {"83036", 9.7},   {"G0439", 132.0},
    {"97110", 29.0},  {"99204", 167.0}, {"99203", 110.0}, {"71046", 29.0},  {"97140", 26.0},  {"99308", 79.0},
    {"90662", 64.0},  {"G0008", 29.0},  {"99285", 175.0}, {"99284", 122.0}, {"92014", 119.0}, {"99309", 105.0},
    {"J3420", 0.5},   {"J1885", 0.3},   {"20610", 63.0},  {"11721", 45.0},  {"G0438", 174.0}, {"77067", 135.0},
    {"70450", 112.0}, {"74177", 305.0}, {"45378", 365.0}, {"66984", 540.0}, {"A0428", 238.0}, {"E0601", 48.0},
    {"95810", 535.0}, {"99283", 69.0},  {"97530", 35.0},  {"G0283", 12.0},
};

std::vector<std::string> SplitWords(std::string_view list) {
  std::vector<std::string> words;
  std::unordered_set<std::string> seen;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    std::string word(list.substr(pos, end - pos));
    std::replace(word.begin(), word.end(), '_', ' ');
    if (!word.empty() && seen.insert(word).second) words.push_back(std::move(word));
    pos = end + 1;
  }
  return words;
}

std::string Lower(std::string_view text) {
  std::string out;
  AppendWithoutAccents(&out, text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string TitleCase(std::string_view folded) {
  std::string out(folded);
  bool start = true;
  for (char& c : out) {
    if (start) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = c == ' ' || c == '-';
  }
  return out;
}

std::vector<FirstName> FirstNames(std::string_view list,
                                  const std::unordered_map<std::string_view, std::vector<std::string_view>>& nick) {
  std::vector<FirstName> names;
  for (std::string& word : SplitWords(list)) {
    FirstName name{std::move(word), {}};
    auto it = nick.find(Lower(name.name));
    if (it != nick.end()) {
      for (std::string_view n : it->second) name.nicknames.push_back(TitleCase(n));
    }
    names.push_back(std::move(name));
  }
  return names;
}

// Latin-1 supplement letters U+00C0..U+00FF (UTF-8 C3 80..C3 BF) without their accents.
constexpr char kLatin1Base[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";

}  // namespace

ZipfSampler::ZipfSampler(size_t n, double offset, double exponent) : cumulative_(n) {
  double total = 0;
  for (size_t r = 0; r < n; ++r) {
    total += 1.0 / std::pow(static_cast<double>(r) + offset, exponent);
    cumulative_[r] = total;
  }
  for (double& c : cumulative_) c /= total;
  if (n > 0) cumulative_.back() = 1.0;
}

size_t ZipfSampler::Sample(Rng& rng) const {
  double u = rng.Real();
  size_t rank = static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) - cumulative_.begin());
  return std::min(rank, cumulative_.size() - 1);
}

double ZipfSampler::Probability(size_t rank) const {
  return rank == 0 ? cumulative_[0] : cumulative_[rank] - cumulative_[rank - 1];
}

const Tables& Tables::Get() {
  static const Tables tables;  // built once, thread-safely (C++11 static initialisation)
  return tables;
}

Tables::Tables() {
  std::unordered_map<std::string_view, std::vector<std::string_view>> nicknames;
  for (const NicknamePair& pair : NicknamePairs()) nicknames[pair.formal].push_back(pair.nickname);
  male_ = FirstNames(kMaleFirstNames, nicknames);
  female_ = FirstNames(kFemaleFirstNames, nicknames);
  surnames_ = SplitWords(kSurnames);
  streets_ = SplitWords(kStreetNames);
  for (std::string_view word : kSuffixWords) {
    for (const StreetSuffix& suffix : StreetSuffixes()) {
      if (suffix.word == word) suffixes_.push_back({TitleCase(suffix.word), TitleCase(suffix.abbreviation)});
    }
  }
  street_zipf_ = ZipfSampler(streets_.size(), 3.0, 0.9);
  suffix_zipf_ = ZipfSampler(suffixes_.size(), 1.0, 1.3);
  procedure_zipf_ = ZipfSampler(std::size(kProcedures), 2.0, 1.1);
}

std::span<const City> Tables::cities() const { return kCities; }
std::span<const Procedure> Tables::procedures() const { return kProcedures; }

bool HasAccent(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

void AppendWithoutAccents(std::string* out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      out->push_back(kLatin1Base[(static_cast<unsigned char>(text[i + 1]) - 0x80) & 0x3F]);
      ++i;
    } else if (c == 0xC5 && i + 1 < text.size() && (text[i + 1] == '\x9B' || text[i + 1] == '\x9A')) {
      out->push_back(text[i + 1] == '\x9B' ? 's' : 'S');  // ś, Ś
      ++i;
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
}

void AppendUpper(std::string* out, std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      // Lower-case Latin-1 letters (C3 A0..BE, except ÷ at B7 and ß at 9F) are 0x20 above their capitals.
      if (next >= 0xA0 && next <= 0xBE && next != 0xB7) next = static_cast<unsigned char>(next - 0x20);
      out->push_back(static_cast<char>(c));
      out->push_back(static_cast<char>(next));
      ++i;
    } else {
      out->push_back(static_cast<char>(std::toupper(c)));
    }
  }
}

}  // namespace matchguard::synth
