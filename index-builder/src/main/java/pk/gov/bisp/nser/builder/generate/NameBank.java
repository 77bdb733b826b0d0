package pk.gov.bisp.nser.builder.generate;

import java.util.List;
import java.util.SplittableRandom;
import pk.gov.bisp.nser.core.schema.Province;

/** Given names and family names common in Pakistan, by region for family names. */
final class NameBank {

    static final List<String> MALE = List.of("Muhammad", "Ahmed", "Ali", "Hassan", "Hussain", "Usman", "Bilal",
            "Imran", "Kashif", "Asif", "Tariq", "Zahid", "Naveed", "Shahid", "Rashid", "Khalid", "Sajid", "Waqar",
            "Faisal", "Adnan", "Irfan", "Javed", "Nadeem", "Saleem", "Aslam", "Akram", "Anwar", "Arshad", "Azhar",
            "Babar", "Danish", "Ehsan", "Farhan", "Ghulam", "Habib", "Iqbal", "Jamil", "Kamran", "Liaqat", "Mansoor",
            "Nasir", "Omar", "Pervaiz", "Qasim", "Rafiq", "Sohail", "Tahir", "Umer", "Wasim", "Yasir", "Zafar",
            "Abdul", "Abid", "Akbar", "Amjad", "Asghar", "Ayaz", "Fazal", "Gul", "Hamid", "Ishaq", "Junaid", "Karim",
            "Latif", "Majid", "Mumtaz", "Noor", "Qadir", "Rehman", "Riaz", "Sadiq", "Shafiq", "Sher", "Taj", "Wali",
            "Yousaf", "Zubair", "Aziz", "Bashir", "Dost", "Fida", "Hayat", "Inam", "Jahangir", "Khan", "Mehboob",
            "Nawaz", "Rasool", "Sabir", "Shaukat", "Sultan", "Talib", "Younas", "Zaman", "Ameer", "Baqir", "Daud",
            "Fateh", "Ilyas", "Manzoor");
    static final List<String> FEMALE = List.of("Fatima", "Ayesha", "Zainab", "Maryam", "Khadija", "Amina",
            "Sana", "Nadia", "Rubina", "Shazia", "Samina", "Nasreen", "Parveen", "Shamim", "Rukhsana", "Razia",
            "Saima", "Asma", "Bushra", "Farzana", "Gulnaz", "Hina", "Iram", "Kausar", "Lubna", "Mehwish", "Nargis",
            "Naseem", "Noreen", "Rabia", "Rehana", "Sadia", "Shabana", "Shaista", "Sobia", "Tahira", "Uzma",
            "Yasmeen", "Zahida", "Zubaida", "Abida", "Anila", "Bibi", "Fozia", "Ghazala", "Hajra", "Jamila",
            "Kalsoom", "Mumtaz", "Naila", "Perveen", "Qamar", "Riffat", "Sajida", "Salma", "Shagufta", "Sughra",
            "Tasleem", "Waseem", "Zarina", "Afshan", "Aqsa", "Benazir", "Durdana", "Farida", "Gul", "Huma", "Ismat",
            "Kiran", "Mahnoor", "Najma", "Nusrat", "Rashida", "Saba", "Shahnaz", "Sumaira", "Tabassum", "Yasmin");
    private static final List<String> COMMON = List.of("Khan", "Ahmed", "Ali", "Hussain", "Shah", "Malik",
            "Qureshi", "Siddiqui", "Sheikh", "Ansari", "Mirza", "Butt", "Chaudhry", "Awan", "Rajput", "Jatt");
    private static final List<String> PUNJAB = List.of("Arain", "Gujjar", "Bhatti", "Cheema", "Gondal", "Warraich",
            "Sandhu", "Virk", "Dogar", "Kharal", "Sial", "Tiwana", "Niazi", "Baloch", "Lodhi", "Rana");
    private static final List<String> SINDH = List.of("Memon", "Soomro", "Jatoi", "Bhutto", "Junejo", "Mahar",
            "Chandio", "Shaikh", "Abbasi", "Laghari", "Kalhoro", "Solangi", "Mangi", "Rind", "Talpur", "Samejo");
    private static final List<String> KP = List.of("Yousafzai", "Afridi", "Khattak", "Mohmand", "Bangash",
            "Orakzai", "Durrani", "Marwat", "Wazir", "Shinwari", "Swati", "Tanoli", "Jadoon", "Mahsud", "Kakar", "Gandapur");
    private static final List<String> BALOCHISTAN = List.of("Marri", "Bugti", "Mengal", "Raisani", "Jamali",
            "Magsi", "Zehri", "Rind", "Lehri", "Bizenjo", "Achakzai", "Kakar", "Mandokhail", "Tareen", "Barech", "Jogezai");
    private static final List<String> NORTH = List.of("Abbasi", "Sudhan", "Rathore", "Mughal", "Kashmiri",
            "Dar", "Lone", "Mir", "Baig", "Hunzai", "Balti", "Shigri", "Yeshkun", "Kazmi", "Naqvi", "Raja");

    private NameBank() {
    }

    static List<String> families(Province p) {
        return switch (p) {
            case PUNJAB, ISLAMABAD -> PUNJAB;
            case SINDH -> SINDH;
            case KHYBER_PAKHTUNKHWA -> KP;
            case BALOCHISTAN -> BALOCHISTAN;
            case AZAD_JAMMU_KASHMIR, GILGIT_BALTISTAN -> NORTH;
        };
    }

    static String family(Province p, SplittableRandom rnd) {
        List<String> local = families(p);
        return rnd.nextInt(3) == 0 ? COMMON.get(rnd.nextInt(COMMON.size())) : local.get(rnd.nextInt(local.size()));
    }

    static String male(SplittableRandom rnd) {
        return MALE.get(rnd.nextInt(MALE.size()));
    }

    static String female(SplittableRandom rnd) {
        return FEMALE.get(rnd.nextInt(FEMALE.size()));
    }

    static String villagePrefix(Province p) {
        return switch (p) {
            case PUNJAB -> "Chak";
            case SINDH -> "Goth";
            case KHYBER_PAKHTUNKHWA -> "Kalay";
            case BALOCHISTAN -> "Killi";
            case AZAD_JAMMU_KASHMIR -> "Mohra";
            case GILGIT_BALTISTAN -> "Pain";
            case ISLAMABAD -> "Mauza";
        };
    }
}
